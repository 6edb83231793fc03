# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class Customer(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    name = datatypes.Stext(name="name", title="Name", maxLen=100)
    email = datatypes.Stext(name="email", title="Email", maxLen=255, unique=1)
    phone = datatypes.Phone(name="phone", title="Phone")
    level = datatypes.Dropdown(
        name="level",
        title="Level",
        options=[
            {"label": "Regular", "value": "regular"},
            {"label": "Silver", "value": "silver"},
            {"label": "Gold", "value": "gold"},
            {"label": "VIP", "value": "vip"},
        ],
        default="regular",
    )
    creditLimit = datatypes.Money(name="creditLimit", title="Credit limit", unit="USD", decimal=2, default=0)
    createdAt = datatypes.Datetime(name="createdAt", title="Created at", readOnly=1)
    updatedAt = datatypes.Datetime(name="updatedAt", title="Updated at", readOnly=1)

    class Meta:
        modelType = "NormalType"
        name = "Customer"
        title = "Customer"
        db = "databases.Default"
        dataTitle = "name"
        dbTable = "shop_customer"
        unionIndexList = []
        unionUniqueList = []
