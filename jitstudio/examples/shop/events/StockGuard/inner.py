# -*-coding:utf-8-*-


def customFunc(eventOutData):
    # A sync "before" handler: raising here cancels the update.
    post = eventOutData.postData.value
    stock = post.get("stock") or 0
    if stock < 0:
        left = eventOutData.prevData.value.get("stock") or 0
        raise ValueError(
            f"Not enough stock for {post.get('name')} ({post.get('sku')}): "
            f"{left} left, {left - stock} requested"
        )
