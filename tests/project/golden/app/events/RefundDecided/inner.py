# -*-coding:utf-8-*-


def customFunc(eventOutData):
    # décision prise
    return eventOutData.handleType.value
