"""Assessments on a real encrypted workspace: steps, sign-off, rule-set copies, attachments, validity."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from desktop.partners import assessments as A
from desktop.partners import attachments as T
from desktop.partners import model, rulesets
from desktop.partners.model import ANSWER, ASSESSMENT, PartnerError

TODAY = dt.date(2026, 6, 30)


def _answer_all(ws, assessment_id, value):
    rs = A.ruleset_of(A.get(ws, assessment_id))
    res = None
    for std in rs["standards"]:
        res = A.answer(ws, assessment_id, std["key"], rating=value)
    return res


def _audit_count(ws, kind):
    return ws.connection.execute("SELECT COUNT(*) FROM audit WHERE kind = ?", (kind,)).fetchone()[0]


def test_assessment_keeps_its_rule_set_when_the_rule_set_changes(workspace):
    ws = workspace
    p = model.add_partner(ws, "Благодійний фонд «Надія»", partner_type="national_ngo")
    a = A.start(ws, p["id"], "un_harmonized")
    res = _answer_all(ws, a["id"], 1)
    for key in ("training", "reporting"):
        res = A.answer(ws, a["id"], key, rating=0)
    assert (res.key, res.score) == ("medium", 6)

    # A coordinator moves the bands: 6 is now "low".
    edited = copy.deepcopy(rulesets.current(ws, "un_harmonized"))
    edited["bands"][0]["max"] = 6
    edited["bands"][1]["min"] = 7
    edited["standards"][0]["title"]["en"] = "Organizational PSEA policy (edited)"
    saved = rulesets.save(ws, edited)
    assert saved["version"] == 2
    assert rulesets.current(ws, "un_harmonized")["version"] == 2

    old = A.get(ws, a["id"])
    assert old["ruleset_version"] == 1
    assert A.result(old).key == "medium"
    assert A.ruleset_of(old)["standards"][0]["title"]["en"] == "Organizational policy"
    # Answering again recomputes with the copy it keeps, not the edited rule set.
    assert A.answer(ws, a["id"], "policy", notes="seen").key == "medium"

    b = A.start(ws, p["id"], "un_harmonized")
    assert A.get(ws, b["id"])["ruleset_version"] == 2
    _answer_all(ws, b["id"], 1)
    A.answer(ws, b["id"], "training", rating=0)
    assert A.answer(ws, b["id"], "reporting", rating=0).key == "low"


def test_five_steps_high_risk_sign_off_and_final_lock(workspace):
    ws = workspace
    p = model.add_partner(ws, "جمعية النور الخيرية")
    a = A.start(ws, p["id"], "unicef_2020")
    with pytest.raises(PartnerError, match="needs a result"):
        A.record_step(ws, a["id"], 5, TODAY, "Amina")
    res = _answer_all(ws, a["id"], 1)
    assert res.key == "low" and res.high_risk
    assert res.label("ru") == "Низкий потенциал (высокий риск)"
    A.record_step(ws, a["id"], 1, "2026-03-01", "Amina")
    with pytest.raises(PartnerError, match="before an earlier step"):
        A.record_step(ws, a["id"], 2, "2026-02-01", "Amina")
    with pytest.raises(PartnerError, match="who did"):
        A.record_step(ws, a["id"], 2, "2026-03-05", "  ")
    A.record_step(ws, a["id"], 2, "2026-03-05", "Amina")
    before = A.get(ws, a["id"])
    with pytest.raises(PartnerError, match="sign-off note by the head of office"):
        A.record_step(ws, a["id"], 5, TODAY, "Amina")
    assert A.get(ws, a["id"]) == before  # refused: nothing changed
    A.sign_off(ws, a["id"], "Continue with a plan and monthly monitoring.", "Grace Wanjiru", TODAY)
    A.record_step(ws, a["id"], 5, TODAY, "Amina")
    assert A.current_step(A.get(ws, a["id"])) == 5
    with pytest.raises(PartnerError, match="no longer be changed"):
        A.answer(ws, a["id"], "policy", rating=3)
    v = A.validity(A.get(ws, a["id"]), TODAY)
    assert v.state == "valid" and v.valid_until == dt.date(2031, 6, 30)
    assert A.validity(A.get(ws, a["id"]), dt.date(2030, 6, 30)).state == "expiring"
    assert A.validity(A.get(ws, a["id"]), dt.date(2030, 6, 29)).state == "valid"
    assert A.validity(A.get(ws, a["id"]), dt.date(2031, 6, 30)).state == "expired"
    # every change is a record write with an audit entry
    assert _audit_count(ws, "partner_assessment") >= 5


def test_evidence_other_needs_a_description_and_copy_from_previous(workspace):
    ws = workspace
    p = model.add_partner(ws, "Fundación Esperanza")
    a = A.start(ws, p["id"], "un_harmonized")
    with pytest.raises(PartnerError, match="describe"):
        A.answer(ws, a["id"], "policy", evidence=["psea_policy", "other"])
    with pytest.raises(PartnerError, match="Unknown evidence"):
        A.answer(ws, a["id"], "policy", evidence=["nonsense"])
    A.answer(ws, a["id"], "policy", evidence=["psea_policy", "other"], other_evidence="Board minutes 2025")
    T.attach(ws, a["id"], "policy.pdf", b"%PDF-1.4 policy", standard_key="policy")
    b = A.start(ws, p["id"], "un_harmonized", copy_from=a["id"])
    new = A.answers(ws, b["id"])["policy"]
    assert json.loads(new["evidence"]) == ["other", "psea_policy"]
    assert new["other_evidence"] == "Board minutes 2025" and new["rating"] is None
    copied = T.list_for(ws, b["id"], "policy")
    assert [c["filename"] for c in copied] == ["policy.pdf"]
    assert T.read(ws, copied[0]["id"]) == b"%PDF-1.4 policy"


def test_external_result_and_special_state(workspace):
    ws = workspace
    p = model.add_partner(ws, "Action contre la Faim", partner_type="international_ngo")
    own = A.start(ws, p["id"], "unicef_2020")
    with pytest.raises(PartnerError, match="another agency"):
        A.record_external_result(ws, own["id"], "full")
    ext = A.start(ws, p["id"], "unicef_2020", source_agency="UNICEF")
    assert A.record_external_result(ws, ext["id"], "full", 16).label("en") == "Full capacity (Low risk)"
    A.record_step(ws, ext["id"], 5, TODAY, "UNICEF Kenya")
    assert A.latest_final(ws, p["id"], TODAY)["source_agency"] == "UNICEF"
    res = A.set_special_state(ws, own["id"], "low_capacity_assumed")
    assert res.high_risk and A.get(ws, own["id"])["band"] == "low_capacity_assumed"
    assert A.set_special_state(ws, own["id"], "") is None


def test_attachment_is_encrypted_in_the_file(workspace, workspace_path):
    ws = workspace
    p = model.add_partner(ws, "Kenya Red Cross Society")
    a = A.start(ws, p["id"])
    marker = b"PLAINTEXT-CANARY-attendance-sheet-7f3a9c"
    payload = marker * 2000 + b"\n" + "Подпись участника".encode() + marker
    att = T.attach(ws, a["id"], "attendance.csv", payload, standard_key="training")
    assert T.read(ws, att["id"]) == payload
    assert _audit_count(ws, "partner_attachment") == 1
    ws.close()
    for path in workspace_path.parent.iterdir():
        if path.is_file():
            raw = path.read_bytes()
            assert marker not in raw, path
            assert b"attendance.csv" not in raw, path


def test_oversize_attachment_refused_and_nothing_written(workspace, tmp_path):
    ws = workspace
    p = model.add_partner(ws, "Turkana Women's Network")
    a = A.start(ws, p["id"])
    audit_before = ws.connection.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"x" * (T.MAX_BYTES + 1))
    with pytest.raises(T.AttachmentTooLarge) as info:
        T.attach_file(ws, a["id"], big)
    assert str(info.value) == "The file scan.pdf is 10 MB; attachments are limited to 10 MB. Nothing was attached."
    with pytest.raises(T.AttachmentTooLarge):
        T.attach(ws, a["id"], "scan.pdf", b"x" * (T.MAX_BYTES + 1))
    assert ws.connection.execute("SELECT COUNT(*) FROM partner_blob").fetchone()[0] == 0
    assert T.list_for(ws, a["id"]) == []
    assert ws.connection.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == audit_before
    T.attach(ws, a["id"], "ok.pdf", b"x" * T.MAX_BYTES)  # exactly the limit is accepted


def test_actions_triggers_and_validation(workspace):
    ws = workspace
    p = model.add_partner(ws, "中国扶贫基金会", partner_type="national_ngo")
    with pytest.raises(PartnerError, match="needs a name"):
        model.add_partner(ws, "   ")
    with pytest.raises(PartnerError, match="partner type"):
        model.add_partner(ws, "X", partner_type="club")
    with pytest.raises(PartnerError, match="not a date"):
        model.add_action(ws, p["id"], "Train staff", due_on="31/12/2026")
    act = model.add_action(ws, p["id"], "Train staff", due_on="2026-05-01", priority="high")
    with pytest.raises(PartnerError, match="completed action"):
        model.update_action(ws, act["id"], {"verified_by": "Grace"})
    [view] = model.actions(ws, p["id"], today=TODAY)
    assert view.overdue
    model.update_action(ws, act["id"], {"status": "done", "verified_by": "Grace"}, today=TODAY)
    [view] = model.actions(ws, p["id"], today=TODAY)
    assert not view.overdue and view.record["completed_on"] == TODAY.isoformat()
    with pytest.raises(PartnerError, match="trigger"):
        model.add_trigger(ws, p["id"], "rumour", TODAY)
    trig = model.add_trigger(ws, p["id"], "allegation", TODAY, "hotline")
    assert [t["kind"] for t in model.open_triggers(ws, p["id"])] == ["allegation"]
    model.resolve_trigger(ws, trig["id"], TODAY)
    assert model.open_triggers(ws, p["id"]) == []
    assert ws.records.history(model.TRIGGER, trig["id"])  # the superseded version is kept


def test_answers_are_records_with_history(workspace):
    ws = workspace
    p = model.add_partner(ws, "AFK")
    a = A.start(ws, p["id"])
    A.answer(ws, a["id"], "policy", rating=1)
    A.answer(ws, a["id"], "policy", rating=0)
    ans = A.answers(ws, a["id"])["policy"]
    assert [h["rating"] for h in ws.records.history(ANSWER, ans["id"])][:2] == [1, None]
    assert ws.records.get(ASSESSMENT, a["id"])["band"] == ""


def test_final_determination_after_a_trigger_resolves_it(workspace):
    ws = workspace
    p = model.add_partner(ws, "KRCS")
    model.add_trigger(ws, p["id"], "allegation", "2026-01-10")
    later = model.add_trigger(ws, p["id"], "high_risk_context", "2026-08-01")
    a = A.start(ws, p["id"])
    _answer_all(ws, a["id"], 1)
    A.record_step(ws, a["id"], 5, "2026-06-30", "Amina")
    assert [t["id"] for t in model.open_triggers(ws, p["id"])] == [later["id"]]
