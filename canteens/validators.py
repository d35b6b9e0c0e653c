"""Identity checks of a canteen: SIRET (Luhn, La Poste exception), SIREN, INSEE commune code."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from egalim.rules import normalize_department, not_covered_collectivity

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def normalize_identifier(value) -> str:
    """Spaces, dots and dashes people type are dropped: "356 000 000 00048" → "35600000000048"."""
    return re.sub(r"[\s.\-\u00a0\u202f]", "", str(value or ""))


def siret_error(value) -> str | None:
    """Why `value` is not a valid SIRET, or None when it is one."""
    siret = normalize_identifier(value)
    if not siret.isdigit() or not siret.isascii():
        return str(_("Le SIRET ne contient que des chiffres."))
    if len(siret) != 14:
        return str(_("Le SIRET compte 14 chiffres (vous en avez saisi %(count)d).") % {"count": len(siret)})
    if siret.startswith(LA_POSTE_SIREN):
        # La Poste's establishments share one SIREN: their SIRET's digits add up to a multiple of 5.
        if sum(int(char) for char in siret) % 5 == 0:
            return None
        return str(_("Ce SIRET de La Poste n'est pas valide : vérifiez les chiffres."))
    if not luhn_valid(siret):
        return str(_("Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas) : vérifiez les chiffres."))
    return None


def siren_error(value) -> str | None:
    siren = normalize_identifier(value)
    if not siren.isdigit() or not siren.isascii():
        return str(_("Le SIREN ne contient que des chiffres."))
    if len(siren) != 9:
        return str(_("Le SIREN compte 9 chiffres (vous en avez saisi %(count)d).") % {"count": len(siren)})
    if siren != LA_POSTE_SIREN and not luhn_valid(siren):
        return str(_("Ce SIREN n'est pas valide (la clé de contrôle ne correspond pas) : vérifiez les chiffres."))
    return None


def is_valid_siret(value) -> bool:
    return siret_error(value) is None


def validate_siret(value):
    error = siret_error(value)
    if error:
        raise ValidationError(error, code="invalid_siret")


def validate_siren(value):
    error = siren_error(value)
    if error:
        raise ValidationError(error, code="invalid_siren")


def department_of_commune(code) -> str | None:
    """The department of an INSEE commune code ("75056" → "75", "97209" → "972", "2A004" → "2A")."""
    code = str(code or "").strip().upper()
    if not re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        return None
    department = code[:3] if code.startswith("97") else code[:2]
    return normalize_department(department)


def not_covered_message(code) -> str | None:
    """The refusal of a commune of an overseas collectivity outside EGAlim's canteen rules (984, 986–989)."""
    name = not_covered_collectivity(code)
    if name is None:
        return None
    return _(
        "%(name)s n'est pas concernée par les règles de la loi EGAlim pour la restauration collective (principe "
        "de spécialité législative) : ses cantines ne peuvent pas être inscrites ici."
    ) % {"name": name}


def commune_code_error(value) -> str | None:
    """Why `value` is not the INSEE code of a commune a canteen can be in, or None when it is one.

    The one rule for the form, the API (both through the model's validator) and the imports: a code of a
    collectivity outside EGAlim, a malformed code, then a well-formed code of no commune (97625 is only in
    Mayotte's range: its communes are 97601–97617; the shipped official geographic code decides).
    """
    from .geo import is_known_commune

    code = str(value or "").strip().upper()
    if message := not_covered_message(code):
        return message
    if department_of_commune(code) is None:
        return str(
            _("Le code INSEE de la commune compte 5 caractères (par exemple 75056 pour Paris, 2A004 pour Ajaccio).")
        )
    if not is_known_commune(code):
        return str(
            _(
                "Aucune commune n'a le code INSEE %(code)s. Vérifiez-le sur la fiche de votre commune (ce n'est "
                "pas le code postal)."
            )
            % {"code": code}
        )
    return None


def validate_commune_code(value):
    if message := commune_code_error(value):
        raise ValidationError(message, code="invalid_commune")
