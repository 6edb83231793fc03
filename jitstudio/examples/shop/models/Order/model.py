# -*-coding:utf-8-*-
from datatypes.Meta import datatypes
from models.NormalType import NormalModel


class Order(NormalModel):
    id = datatypes.AutoInt(name="id", title="ID", primaryKey=1, readOnly=1)
    # Filled in by the "Fill order number" event when an order is created.
    orderNo = datatypes.Stext(name="orderNo", title="Order number", maxLen=32, unique=1)
    # The id of the ordering Customer, kept as a plain number so filters stay simple.
    customerId = datatypes.Numeric(name="customerId", title="Customer ID", decimal=0, dbIndex=1)
    status = datatypes.Dropdown(
        name="status",
        title="Status",
        options=[
            {"label": "Draft", "value": "draft"},
            {"label": "Paid", "value": "paid"},
            {"label": "Shipped", "value": "shipped"},
            {"label": "Refund requested", "value": "refunding"},
            {"label": "Refunded", "value": "refunded"},
            {"label": "Cancelled", "value": "cancelled"},
        ],
        default="draft",
    )
    amount = datatypes.Money(name="amount", title="Amount", unit="USD", decimal=2, default=0)
    paidAt = datatypes.Datetime(name="paidAt", title="Paid at")
    note = datatypes.Ltext(name="note", title="Note")
    refundReason = datatypes.Ltext(name="refundReason", title="Refund reason")
    createdAt = datatypes.Datetime(name="createdAt", title="Created at", readOnly=1)
    updatedAt = datatypes.Datetime(name="updatedAt", title="Updated at", readOnly=1)

    class Meta:
        modelType = "NormalType"
        name = "Order"
        title = "Order"
        db = "databases.Default"
        dataTitle = "orderNo"
        dbTable = "shop_order"
        unionIndexList = []
        unionUniqueList = []
