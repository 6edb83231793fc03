# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class Product(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    name = datatypes.Stext(name="name", title="Name", maxLen=200)
    sku = datatypes.Stext(name="sku", title="SKU", maxLen=64, unique=1)
    price = datatypes.Money(name="price", title="Price", unit="USD", decimal=2, default=0)
    stock = datatypes.Numeric(name="stock", title="Stock", decimal=0, default=0)
    active = datatypes.Checkbox(name="active", title="On sale", default=1)
    createdAt = datatypes.Datetime(name="createdAt", title="Created at", readOnly=1)
    updatedAt = datatypes.Datetime(name="updatedAt", title="Updated at", readOnly=1)

    class Meta:
        modelType = "NormalType"
        name = "Product"
        title = "Product"
        db = "databases.Default"
        dataTitle = "name"
        dbTable = "shop_product"
        unionIndexList = []
        unionUniqueList = []
