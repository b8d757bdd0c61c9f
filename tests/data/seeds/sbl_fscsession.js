var fscSession = {
	'reset': true,
	'products' : [
					{
						'path':'example-product',
						'quantity': 1
					}
	],
	'coupon': 'YOUR10OFF'
}
