"""The workspace's own words, in Danish and English. Everything the report also says (gap kinds,
severities, statuses, categories, column names) comes from reports/render/labels.py, so both
speak the same vocabulary."""
from __future__ import annotations

from reports.render import labels

ACTIONS = {
    "da": {"delete_or_register": "Slet eller flyt filerne – eller anmeld mappen i fortegnelsen",
           "update_register": "Ret fortegnelsen (anmeld kategorien for systemet, eller fjern den forældede post)",
           "update_register_or_delete": "Ret fortegnelsen eller fjern oplysningerne fra systemet",
           "delete_or_ask_owner": "Slet eller anonymisér det forældede – spørg filens ejer først",
           "check_by_hand": "Tjek i hånden (åbn filen eller systemet) – spørg ejeren"},
    "en": {"delete_or_register": "Delete or move the files – or add the folder to the register",
           "update_register": "Update the register (declare the category for the system, or drop the stale entry)",
           "update_register_or_delete": "Update the register or remove the data from the system",
           "delete_or_ask_owner": "Delete or anonymise what is overdue – ask the file's owner first",
           "check_by_hand": "Check by hand (open the file or the system) – ask the owner"},
}

WEB = {
    "da": {
        "workspace": "Arbejdsbord", "overview": "Overblik", "gap_list": "Afvigelser", "finding_list": "Fund",
        "lookup": "Find en person", "owners": "Ejere", "trends": "Udvikling", "register_view": "Fortegnelsen",
        "audit": "Revisionsspor", "logout": "Log ud", "language": "English", "other_lang": "en",
        "do_first": "Gør dette først", "action": "Anbefalet handling", "priority": "Prioritet",
        "priority_note": "Prioritet = alvor × mængde × alder (dage siden afvigelsen først blev set, plus dage for sent).",
        "open": "Åbne", "reviewed_state": "Gennemgåede", "all": "Alle", "state": "Visning",
        "new_since": "Kun nye siden forrige skanning", "owner": "Ejer", "folder": "Mappe", "apply": "Vis",
        "clear": "Nulstil", "page": "Side", "previous": "Forrige", "next": "Næste", "age": "Alder (dage)",
        "first_seen": "Først set", "mark": "Mærke", "decide": "Beslut", "decision": "Beslutning",
        "by": "Besluttet af", "save": "Gem beslutning", "remove_mark": "Fjern mærket",
        "history": "Historik (alle beslutninger)", "decided": "Tidspunkt", "source": "Hvorfra",
        "judged_on": "Bedømt pr.", "no_scan": "Lageret har endnu ingen færdig skanning.",
        "lookup_intro": "Indtast et CPR-nummer, en e-mail, et telefonnummer eller et navn. Værdien hashes med "
                        "lagerets nøgle og gemmes eller logges aldrig; kun opslaget (hvem, hvornår, hvilken slags) "
                        "skrives i revisionssporet.",
        "value": "Værdi", "search": "Søg", "all_scans": "Søg også i ældre skanninger",
        "kind_cpr": "CPR-nummer", "kind_email": "E-mail", "kind_phone": "Telefon", "kind_name": "Navn",
        "lookup_result": "{n} fund på {places} steder ({kind})", "file": "Fil", "sub_location": "Underplacering",
        "scan_date": "Skannet", "export_csv": "Hent CSV", "export_xlsx": "Hent XLSX", "nothing_found":
            "Intet fundet i de søgte skanninger.", "owner_tasks": "Opgaver pr. ejer",
        "owner_note": "Ejer = filens ejer på drevet (lokalt: brugernavnet). Elementer inde i en fil arver filens ejer.",
        "items_with_findings": "Elementer med fund", "open_gaps_of_owner": "Åbne afvigelser",
        "gaps_by_severity": "Åbne afvigelser efter alvor", "findings_by_category": "Fund efter kategori",
        "declared": "Anmeldt", "found": "Fundet", "declared_not_found_cell": "anmeldt, ikke fundet",
        "undeclared_cell": "fundet, ikke anmeldt", "contradiction_cell": "modstrid", "folders": "Mapper",
        "outside_register": "Uden for fortegnelsen", "register_missing":
            "Fortegnelsen som skanningen brugte, kan ikke læses; giv den med datakort report --register.",
        "login_needed": "Log ind med linket, som datakort serve skrev i terminalen.",
        "bad_csrf": "Formularen er udløbet; indlæs siden igen.", "saved": "Beslutningen er gemt.",
        "removed": "Mærket er fjernet.", "event": "Hændelse", "who": "Hvem", "when": "Hvornår",
        "finding_marks_note": "Mærker på fund tæller med i afvigelserne ved næste datakort report eller skanning.",
        "evidence_of": "Beviser (maskerede værdier)", "scan_of": "Skanning {id} af {root}, {when}",
        "reviewed_count": "gennemgåede", "open_count": "åbne", "all_findings_count": "fund i alt",
        "entity": "Fundtype", "false_positive_btn": "Falsk positiv", "new_gaps_count": "nye siden forrige",
        "until_needed": "Accepteret kræver en begrundelse og en dato.",
    },
    "en": {
        "workspace": "Workspace", "overview": "Overview", "gap_list": "Gaps", "finding_list": "Findings",
        "lookup": "Find a person", "owners": "Owners", "trends": "Trends", "register_view": "Register",
        "audit": "Audit trail", "logout": "Log out", "language": "Dansk", "other_lang": "da",
        "do_first": "Do this first", "action": "Recommended action", "priority": "Priority",
        "priority_note": "Priority = severity × volume × age (days since the gap was first seen, plus days overdue).",
        "open": "Open", "reviewed_state": "Reviewed", "all": "All", "state": "Show",
        "new_since": "Only new since the previous scan", "owner": "Owner", "folder": "Folder", "apply": "Show",
        "clear": "Reset", "page": "Page", "previous": "Previous", "next": "Next", "age": "Age (days)",
        "first_seen": "First seen", "mark": "Mark", "decide": "Decide", "decision": "Decision",
        "by": "Decided by", "save": "Save decision", "remove_mark": "Remove the mark",
        "history": "History (every decision)", "decided": "When", "source": "From",
        "judged_on": "Judged on", "no_scan": "The store holds no finished scan yet.",
        "lookup_intro": "Enter a CPR number, an e-mail address, a phone number or a name. The value is hashed with "
                        "the store's key and never stored or logged; only the lookup (who, when, which kind) is "
                        "written to the audit trail.",
        "value": "Value", "search": "Search", "all_scans": "Search earlier scans too",
        "kind_cpr": "CPR number", "kind_email": "E-mail", "kind_phone": "Phone", "kind_name": "Name",
        "lookup_result": "{n} findings in {places} places ({kind})", "file": "File", "sub_location": "Sub-location",
        "scan_date": "Scanned", "export_csv": "Download CSV", "export_xlsx": "Download XLSX", "nothing_found":
            "Nothing found in the scans searched.", "owner_tasks": "Tasks per owner",
        "owner_note": "Owner = the file's owner on the share (local: the user name). Items inside a file take the "
                      "file's owner.",
        "items_with_findings": "Items with findings", "open_gaps_of_owner": "Open gaps",
        "gaps_by_severity": "Open gaps by severity", "findings_by_category": "Findings by category",
        "declared": "Declared", "found": "Found", "declared_not_found_cell": "declared, not found",
        "undeclared_cell": "found, not declared", "contradiction_cell": "contradiction", "folders": "Folders",
        "outside_register": "Outside the register", "register_missing":
            "The register the scan used cannot be read; give it with datakort report --register.",
        "login_needed": "Log in with the link datakort serve printed in the terminal.",
        "bad_csrf": "The form has expired; reload the page.", "saved": "The decision is saved.",
        "removed": "The mark is removed.", "event": "Event", "who": "Who", "when": "When",
        "finding_marks_note": "Marks on findings count in the gaps at the next datakort report or scan.",
        "evidence_of": "Evidence (masked values)", "scan_of": "Scan {id} of {root}, {when}",
        "reviewed_count": "reviewed", "open_count": "open", "all_findings_count": "findings in total",
        "entity": "Finding type", "false_positive_btn": "False positive", "new_gaps_count": "new since the previous",
        "until_needed": "Accepted needs a reason and a date.",
    },
}


def text(lang: str, key: str) -> str:
    """A word of the workspace, else of the report; the key itself when neither knows it."""
    return WEB[lang].get(key) or labels.TEXT[lang].get(key) or key
