from .names import PURCHASED as PURCHASED_EVENT
from .names import Events, LegacyNames, StrEvents
