"""Object-level permissions on canteens: one explicit helper used by every view of the app.

A manager sees and changes only the canteens they manage; staff users see and change all of them;
a central kitchen's managers may also view a satellite and fill its supply data (purchases, imports) once the
satellite's managers agreed to that central kitchen (`Canteen.confirmed_central_kitchen`).
Anything else answers 404, so the existence of other people's canteens is not disclosed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .choices import CENTRAL_TYPES
from .models import Canteen

VIEW = "view"  # the canteen's pages, its diagnostics and poster
EDIT = "edit"  # the canteen's identity and the diagnostic's answers
SUPPLY = "supply"  # purchases of a diagnostic and their import
MANAGE = "manage"  # the list of managers, invitations
DECLARE = "declare"  # teledeclaration, publication
ACTIONS = (VIEW, EDIT, SUPPLY, MANAGE, DECLARE)
CENTRAL_KITCHEN_ACTIONS = (VIEW, SUPPLY)


def supplies(user, canteen) -> bool:
    """True when `user` manages the central kitchen that delivers the satellite `canteen`: the satellite declares
    its SIRET and the satellite's managers (or an administrator) agreed to that very canteen. A SIRET claimed by
    a central kitchen alone grants nothing (anyone may register a canteen with any SIRET nobody registered)."""
    if not canteen.is_satellite or not canteen.central_kitchen_siret or not canteen.confirmed_central_kitchen_id:
        return False
    return Canteen.objects.filter(
        pk=canteen.confirmed_central_kitchen_id,
        siret=canteen.central_kitchen_siret,
        production_type__in=CENTRAL_TYPES,
        managers=user,
    ).exists()


def allowed_actions(user, canteen) -> frozenset:
    """What `user` may do on `canteen`; computed once per canteen object and user (one or two queries)."""
    cache = canteen.__dict__.setdefault("_allowed_actions", {})
    if user.pk not in cache:
        if not user.is_authenticated or not user.is_active:
            actions = frozenset()
        elif user.is_staff or canteen.managers.filter(pk=user.pk).exists():
            actions = frozenset(ACTIONS)
        elif supplies(user, canteen):
            actions = frozenset(CENTRAL_KITCHEN_ACTIONS)
        else:
            actions = frozenset()
        cache[user.pk] = actions
    return cache[user.pk]


def can(user, canteen, action) -> bool:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in allowed_actions(user, canteen)


def get_canteen_for(user, pk, action) -> Canteen:
    """The canteen `pk` if `user` may do `action` on it; Http404 otherwise (also for a missing canteen)."""
    canteen = get_object_or_404(Canteen, pk=pk)
    if not can(user, canteen, action):
        raise Http404("canteen not found")
    return canteen
