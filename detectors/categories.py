"""The data categories: the words reconciliation speaks in.

The categories are the register's (see docs/register.md). Which entity type belongs to
which category is said where the recogniser is registered (detectors/recognizers/).
"""
from __future__ import annotations

# category id -> (Danish label, English label)
CATEGORIES: dict[str, tuple[str, str]] = {
    "contact": ("Kontaktoplysninger (navn, stilling, telefon, e-mail)", "Contact details (name, title, phone, e-mail)"),
    "personal_details": ("Personlige forhold (interesser mv.)", "Personal details (interests etc.)"),
    "biometric": ("Biometri / foto til identifikation", "Biometric data / photo for identification"),
    "cpr": ("CPR-nummer (databeskyttelseslovens § 11)", "CPR number (Danish Data Protection Act s. 11)"),
    "financial": ("Økonomiske oplysninger (konto, betaling)", "Financial data (accounts, payments)"),
    "special": ("Følsomme oplysninger (art. 9)", "Special categories (Art. 9)"),
    "criminal": ("Strafbare forhold (art. 10)", "Criminal offences (Art. 10)"),
}

# Found, but not personal data (so not the register's): a CVR number tells a company from a
# person and links customers. Reconciliation looks only at PERSONAL_CATEGORIES.
NON_PERSONAL_CATEGORIES: dict[str, tuple[str, str]] = {
    "company": ("Virksomhedsoplysninger (CVR) – ikke personoplysninger", "Company data (CVR) – not personal data"),
}
PERSONAL_CATEGORIES = frozenset(CATEGORIES)

# --- category classes: the official classes the finer categories belong to -------------
# class id -> (Danish label, English label), in the order Datatilsynet's template lists them.
CATEGORY_CLASSES: dict[str, tuple[str, str]] = {
    "general": ("Almindelige personoplysninger (art. 6)", "General personal data (Art. 6)"),
    "special": ("Følsomme personoplysninger (art. 9)", "Special categories of personal data (Art. 9)"),
    "cpr": ("CPR-nummer (databeskyttelseslovens § 11)", "CPR number (Danish Data Protection Act s. 11)"),
    "criminal": ("Strafbare forhold (art. 10)", "Criminal convictions and offences (Art. 10)"),
}
# category id -> class id. Biometric data for identification is an Art. 9 category.
CATEGORY_CLASS: dict[str, str] = {
    "contact": "general",
    "personal_details": "general",
    "financial": "general",
    "biometric": "special",
    "special": "special",
    "cpr": "cpr",
    "criminal": "criminal",
}

# Categories whose presence anywhere gets the highest severity: every class but the general one.
HIGH_RISK_CATEGORIES = frozenset(c for c, cls in CATEGORY_CLASS.items() if cls != "general")
