# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class Customer(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    # Nom affiché — 显示名称
    name = datatypes.Stext(name="name", title="Nom", maxLen=64)
    level = datatypes.Dropdown(name="level", title="Niveau", options=[{"label": "VIP", "value": "vip"}])
    credit = datatypes.Money(name="credit", title="Crédit", decimal=2)

    class Meta:
        modelType = "NormalType"
        name = "Customer"
        title = "Client"
