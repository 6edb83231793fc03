# -*-coding:utf-8-*-
import uuid
from datetime import datetime


def customFunc(eventOutData):
    # Runs before the new order is written: values set on postData are saved with it.
    row = eventOutData.postData
    post = row.value
    if not post.get("orderNo"):
        row.orderNo.value = f"SO{datetime.now():%Y%m%d}-{uuid.uuid4().hex[:6].upper()}"
    if post.get("amount") is None:
        row.amount.value = 0
    if not post.get("status"):
        row.status.value = "draft"
