from jit.commons.utils.logger import log


def customFunc(eventOutData):
    pass
    # the changed row
    post = eventOutData.postData.value
    amount = post['amount']
    res = app.getElement("services.OrderSvc").checkStock(sku=post['sku'], qty=amount)
    order = app.models.Order.get(filter="Q(id=1)")
    app.message.send(title="Big order", content=f"{amount}", receivers=[post['owner']])
    app.event.publish(sender="services.OrderSvc.onBig", args=(post,), kwargs={"n": 1})
    log.info("checked %s", amount)
    if amount > 1000:
        # very big
        flag = "big"
    elif amount > 100:
        flag = "mid"
    else:
        flag = "small"
    for line in post['lines']:
        total = line['qty'] * line['price']
    try:
        x = 1
    except KeyError:
        pass
    if not res:
        raise ValueError("out of stock") from None
    return flag
