# -*-coding:utf-8-*-
from jit.commons.utils.logger import log
from services.NormalType import NormalService


class MessageSvc(NormalService):

    def sendNotification(self, title, content, receivers):
        """Send an in-app message through the built-in message service."""
        receivers = list(getattr(receivers, "value", receivers) or [])
        if not receivers:
            log.info(f"Notification '{title}' has no receivers, skipped")
            return {"title": title, "receivers": [], "sent": 0}
        app.message.send(title=title, content=content, receivers=receivers)
        log.info(f"Notification '{title}' sent to {', '.join(str(r) for r in receivers)}")
        return {"title": title, "receivers": receivers, "sent": len(receivers)}
