"""IDE features that join the main window through `WindowApi`: each registers its pages, actions, menu
entries and docks, and the window knows none of them."""
from .api import Feature, WindowApi, offering, offers
from .data import DataFeature
from .edit import EditFeature
from .graph import GraphFeature
from .messages import MessagesFeature
from .new_elements import NewElementsFeature
from .problems import ProblemsFeature
from .records import RecordsFeature
from .run import RunFeature
from .test_run import EventTestRunFeature

# In this order their docks tab together, their status-bar widgets line up and their menu entries follow.
DEFAULT_FEATURES: tuple[type[Feature], ...] = (
    EditFeature, NewElementsFeature, ProblemsFeature, MessagesFeature, RunFeature, EventTestRunFeature, RecordsFeature, DataFeature,
    GraphFeature,
)

__all__ = ["DEFAULT_FEATURES", "Feature", "WindowApi", "offering", "offers"]
