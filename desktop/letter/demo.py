"""Demo data of the letter: allegation counts for this year and last (some involving former staff, some
implementing-partner personnel), the office's names in six languages, a synthetic signatory, and most
of the year's attestations confirmed (one left, so the signing gate has something to show); this
year's draft in English. Headquarters' demo also gets the governing body's decision of the legal basis.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # random: annotations only (start-up: the registry imports every demo)
    import random

    from storage import Workspace

# The demo offices' names, places and signer's title in the six languages.
_OFFICES = {
    "KEN-NBO": ({"en": "Kenya Country Office", "fr": "Bureau de pays du Kenya", "es": "Oficina en el país de Kenya",
                 "ru": "Страновое отделение в Кении", "zh": "肯尼亚国家办事处", "ar": "المكتب القطري في كينيا"},
                {"en": "Nairobi", "fr": "Nairobi", "es": "Nairobi", "ru": "Найроби", "zh": "内罗毕", "ar": "نيروبي"}),
    "SDN-KRT": ({"en": "Sudan Country Office", "fr": "Bureau de pays du Soudan", "es": "Oficina en el país del Sudán",
                 "ru": "Страновое отделение в Судане", "zh": "苏丹国家办事处", "ar": "المكتب القطري في السودان"},
                {"en": "Khartoum", "fr": "Khartoum", "es": "Jartum", "ru": "Хартум", "zh": "喀土穆", "ar": "الخرطوم"}),
    "LBN-BEY": ({"en": "Lebanon Country Office", "fr": "Bureau de pays du Liban", "es": "Oficina en el país del Líbano",
                 "ru": "Страновое отделение в Ливане", "zh": "黎巴嫩国家办事处", "ar": "المكتب القطري في لبنان"},
                {"en": "Beirut", "fr": "Beyrouth", "es": "Beirut", "ru": "Бейрут", "zh": "贝鲁特", "ar": "بيروت"}),
    "CHN-BJS": ({"en": "China Office", "fr": "Bureau de Chine", "es": "Oficina en China",
                 "ru": "Отделение в Китае", "zh": "中国办事处", "ar": "مكتب الصين"},
                {"en": "Beijing", "fr": "Beijing", "es": "Beijing", "ru": "Пекин", "zh": "北京", "ar": "بيجين"}),
    "UKR-KBP": ({"en": "Ukraine Country Office", "fr": "Bureau de pays de l'Ukraine",
                 "es": "Oficina en el país de Ucrania", "ru": "Страновое отделение в Украине",
                 "zh": "乌克兰国家办事处", "ar": "المكتب القطري في أوكرانيا"},
                {"en": "Kyiv", "fr": "Kyiv", "es": "Kyiv", "ru": "Киев", "zh": "基辅", "ar": "كييف"}),
    "COL-BOG": ({"en": "Colombia Country Office", "fr": "Bureau de pays de la Colombie",
                 "es": "Oficina en el país de Colombia", "ru": "Страновое отделение в Колумбии",
                 "zh": "哥伦比亚国家办事处", "ar": "المكتب القطري في كولومبيا"},
                {"en": "Bogotá", "fr": "Bogota", "es": "Bogotá", "ru": "Богота", "zh": "波哥大", "ar": "بوغوتا"}),
}
_HEAD_OF_OFFICE = {"en": "Head of Office", "fr": "Cheffe de bureau", "es": "Jefa de Oficina",
                   "ru": "Руководитель отделения", "zh": "办事处主任", "ar": "رئيسة المكتب"}
_HEAD_OF_ENTITY = {"en": "Executive Director", "fr": "Directrice exécutive", "es": "Directora Ejecutiva",
                   "ru": "Директор-исполнитель", "zh": "执行主任", "ar": "المديرة التنفيذية"}
_GOVERNING_BODY = {"en": "Executive Board of UN-Habitat", "fr": "Conseil exécutif d'ONU-Habitat",
                   "es": "Junta Ejecutiva de ONU-Hábitat", "ru": "Исполнительного совета ООН-Хабитат",
                   "zh": "人居署执行局", "ar": "المجلس التنفيذي لموئل الأمم المتحدة"}
_SESSION = {"en": "first session of 2023", "fr": "première session de 2023", "es": "primer período de sesiones de 2023",
            "ru": "первой сессии 2023 года", "zh": "2023 年第一次会议", "ar": "دورته الأولى لعام 2023"}


def populate_demo(ws: Workspace, rng: random.Random, today: dt.date, people: int) -> None:
    from desktop.letter import allegations, attestations, model, templates  # loaded when a demo is built

    with ws.transaction():
        for year, scale in ((today.year - 1, 1.0), (today.year, 0.6)):
            plan = [
                ("former_staff", "under_assessment", "oios"), ("staff", "under_investigation", "oios"),
                ("related_personnel", "under_assessment", "entity_oversight"),
                ("related_personnel", "unsubstantiated", "entity_oversight"),
                ("partner_personnel", "referred", "partner"), ("partner_personnel", "closed", "national_authorities"),
            ]
            for category, status, body in plan:
                count = int(rng.randint(0, 3) * scale)
                if count:
                    allegations.set_count(ws, year, category, status, body, count)
        set_demo_settings(ws)
        scope = model.default_scope(ws)
        keys = templates.attestation_keys(scope)
        attestations.confirm(ws, today.year, scope, [k for k in keys if k != "outreach"], "Amina Odhiambo", keys)
        model.ensure(ws, today.year, "en")


def set_demo_settings(ws: Workspace) -> None:
    from desktop.letter import settings  # loaded when a demo is built

    conf = settings.load(ws)
    names, places = _OFFICES.get(ws.office, (None, None))
    if names:
        conf.values["office"] = dict(names)
        conf.values["place"] = dict(places)
        conf.values["office_in_text"] = {"en": f"the {names['en']}", "fr": f"le {names['fr']}",
                                         "es": f"la {names['es']}"}
    entity = ws.role == "headquarters"
    conf.values["title"] = dict(_HEAD_OF_ENTITY if entity else _HEAD_OF_OFFICE)
    conf.single["signatory"] = "Rania Haddad" if entity else "Amina Odhiambo"
    if entity:
        conf.values["governing_body"] = dict(_GOVERNING_BODY)
        conf.values["session"] = dict(_SESSION)
        conf.single.update(decision="2023/1", paragraph="(a) 5", symbol="HSP/EB.2023/7")
    settings.save(ws, conf)


def prepare_entity_letter(ws: Workspace, today: dt.date) -> None:
    """Headquarters' demo: settings, most attestations, and this year's draft of the entity's letter."""
    from desktop.letter import attestations, model, templates  # loaded when a demo is built

    set_demo_settings(ws)
    keys = templates.attestation_keys("entity")
    attestations.confirm(ws, today.year, "entity", [k for k in keys if k != "outreach"], "Rania Haddad", keys)
    model.ensure(ws, today.year, "en")
