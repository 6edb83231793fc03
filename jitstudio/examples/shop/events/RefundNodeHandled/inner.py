# -*-coding:utf-8-*-
from jit.commons.utils.logger import log

LARGE_REFUND = 500


def customFunc(eventOutData):
    row = eventOutData.row
    handleType = eventOutData.handleType.value
    amount = float(row.amount.value or 0)

    log.info(f"Store manager chose '{handleType}' for the refund of {row.orderNo.value}")
    if handleType == "agree" and amount > LARGE_REFUND:
        app.services.MessageSvc.sendNotification(
            title=f"Refund {row.orderNo.value} needs Finance approval",
            content=f"Refund of {amount} was approved by the store manager and now waits for Finance.",
            receivers=["finance"],
        )
