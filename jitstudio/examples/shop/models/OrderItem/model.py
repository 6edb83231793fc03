# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class OrderItem(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    # Plain ids of the Order and Product this line belongs to.
    orderId = datatypes.Numeric(name="orderId", title="Order ID", decimal=0, dbIndex=1)
    productId = datatypes.Numeric(name="productId", title="Product ID", decimal=0, dbIndex=1)
    quantity = datatypes.Numeric(name="quantity", title="Quantity", decimal=0, default=1)
    unitPrice = datatypes.Money(name="unitPrice", title="Unit price", unit="USD", decimal=2, default=0)
    lineTotal = datatypes.Money(name="lineTotal", title="Line total", unit="USD", decimal=2, default=0)
    createdAt = datatypes.Datetime(name="createdAt", title="Created at", readOnly=1)
    updatedAt = datatypes.Datetime(name="updatedAt", title="Updated at", readOnly=1)

    class Meta:
        modelType = "NormalType"
        name = "OrderItem"
        title = "Order item"
        db = "databases.Default"
        dataTitle = "id"
        dbTable = "shop_order_item"
        unionIndexList = []
        unionUniqueList = []
