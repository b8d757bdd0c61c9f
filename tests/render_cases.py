"""Storefronts, sessions and options the renderer's test modules share."""

from __future__ import annotations

from sblgen import PaymentContact, Product, SblOptions, SecureRequest, Session

TEST_SHOP = "acme.test.onfastspring.com/popup-acme"
LIVE_SHOP = "acme.onfastspring.com/popup-acme"
SESSION = Session(
    reset=True,
    products=[Product(path="pro-plan", quantity=1), Product(path="addon", quantity=2)],
    coupon="SPRING",
    payment_contact=PaymentContact(email="ann@example.com", first_name="Ann"),
)
ALL_OPTIONS = SblOptions(
    storefront=TEST_SHOP,
    access_key="ABC_123",
    continuous=True,
    debug=True,
    animate_fader=False,
    data_callback="onData",
    error_callback="onError",
    validation_callback="onValidation",
    before_requests_callback="beforeRequests",
    after_requests_callback="afterRequests",
    before_markup_callback="beforeMarkup",
    after_markup_callback="afterMarkup",
    markup_helpers_callback="markupHelpers",
    decorate_callback="decorateUrl",
    popup_closed="onPopupClosed",
    popup_event_received="onPopupEvent",
    popup_webhook_received="onPopupWebhook",
    loading="defer",
)
PLAIN_SECURE = SecureRequest.plaintext({"coupon": "SPRING"})
KEYED = SblOptions(storefront=TEST_SHOP, access_key="KEY")
