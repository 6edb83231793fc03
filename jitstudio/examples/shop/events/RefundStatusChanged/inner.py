# -*-coding:utf-8-*-
from jit.commons.utils.logger import log


def customFunc(eventOutData):
    row = eventOutData.row
    status = eventOutData.status.value
    orderNo = row.orderNo.value

    if status == "Pass":
        row.status.value = "refunded"
        row.save()
        app.services.MessageSvc.sendNotification(
            title=f"Refund for {orderNo} approved",
            content=f"The refund of {row.amount.value} for order {orderNo} has been approved.",
            receivers=["sales", "finance"],
        )
    elif status == "Refuse":
        # Back to "paid" without firing model events: the payment notice must not go out twice.
        row.status.value = "paid"
        row.save(triggerEvent=0)
        app.services.MessageSvc.sendNotification(
            title=f"Refund for {orderNo} rejected",
            content=f"The refund request for order {orderNo} was rejected.",
            receivers=["sales"],
        )
    log.info(f"Refund approval for {orderNo}: {status}")
