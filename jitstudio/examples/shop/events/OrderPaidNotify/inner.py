# -*-coding:utf-8-*-
from jit.commons.utils.logger import log


def customFunc(eventOutData):
    post = eventOutData.postData.value
    orderNo = post.get("orderNo")
    amount = post.get("amount")

    receivers = ["sales"]
    customerId = post.get("customerId")
    if customerId:
        Customer = app.getElement("models.Customer")
        customer = Customer.get(f"Q(Q('id', '=', {int(customerId)}))", [])
        if customer and customer.email.value:
            receivers.insert(0, customer.email.value)

    app.services.MessageSvc.sendNotification(
        title=f"Order {orderNo} is paid",
        content=f"Thank you! We received your payment of {amount} for order {orderNo}.",
        receivers=receivers,
    )
    log.info(f"Payment notice for {orderNo} sent to {receivers}")
