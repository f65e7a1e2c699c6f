"""What a call said unheard, retrieved from the API (realtime/gap_filling.py): which items are
asked for, where each goes, which tool call still waits, and the bound on retrievals."""

from voice_app.realtime import api_rules
from voice_app.realtime.call_record import CallRecord
from voice_app.realtime.gap_filling import MAX_RETRIEVALS, Gap


def added(item: dict, previous: str | None) -> dict:
    return {"type": "conversation.item.added", "item": item, "previous_item_id": previous}


def user(item_id: str, text: str = "hi") -> dict:
    return {
        "id": item_id,
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": text}],
    }


def call(item_id: str, call_id: str, status: str = "completed") -> dict:
    return {"id": item_id, "type": "function_call", "status": status, "name": "remember", "call_id": call_id, "arguments": "{}"}


def answers(gap: Gap, sent: list[dict], items: dict, record: CallRecord) -> list:
    """The API's answers to our retrieves, taken by the record in turn; the calls to run."""
    runs = []
    for event in sent:
        if event["item_id"] not in items:
            assert gap.refused({"type": "error", "error": {"event_id": event["event_id"]}}) == event["item_id"]
            continue
        done, run = gap.retrieved(
            {"type": "conversation.item.retrieved", "item": items[event["item_id"]]},
            lambda i: record.transcript.find(i) is not None,
        )
        record.take(done)
        runs += [run] if run else []
    return runs


def test_an_unknown_previous_item_is_retrieved_and_the_page_hints_fill_in_the_rest_in_order():
    record = CallRecord()
    record.take(added(user("saved"), None))
    gap = Gap(known={"saved"}, after="saved")
    assert gap.heard(added(user("now"), "f")) == "f"
    record.take(added(user("now"), "f"))  # heard first: at the end, until the gap is filled
    sent = gap.ask(["saved", "u", "nowhere", "f", "now"], "f")
    assert [event["item_id"] for event in sent] == ["u", "nowhere", "f"]
    assert all(event["type"] == "conversation.item.retrieve" for event in sent)
    runs = answers(gap, sent, {"u": user("u"), "f": call("f", "call_1")}, record)
    assert [entry["id"] for entry in record.transcript.entries] == ["saved", "u", "f", "now"]
    assert runs == [{"name": "remember", "arguments": "{}", "call_id": "call_1", "response_id": "retrieve_f"}]
    assert gap.ask(["saved", "u", "f", "now"]) == [], "nothing is asked for twice"


def test_a_call_with_its_output_known_or_not_completed_does_not_run():
    gap = Gap(known={"a"}, after="a")
    gap.heard(added({"id": "o", "type": "function_call_output", "call_id": "call_1", "output": "x"}, "f1"))
    sent = gap.ask(["f1", "f2"])
    record = CallRecord()
    assert answers(gap, sent, {"f1": call("f1", "call_1"), "f2": call("f2", "call_2", "incomplete")}, record) == []
    assert gap.retrieved({"type": "conversation.item.retrieved", "item": call("f1", "call_1")}, lambda i: True) == (None, None)


def test_retrievals_are_bounded_per_call():
    gap = Gap()
    sent = gap.ask([f"item_{n}" for n in range(MAX_RETRIEVALS + 5)])
    assert len(sent) == MAX_RETRIEVALS and gap.gave_up
    assert gap.ask(["more"]) == []


def test_the_refusal_of_a_retrieval_of_ours_is_not_shown_on_the_page():
    refused = {"code": "item_retrieve_invalid_item_id", "message": "no such item", "event_id": Gap().ask(["x"])[0]["event_id"]}
    assert api_rules.error_shown(refused)[0] == ""
    assert api_rules.error_shown({**refused, "event_id": "evt_other"})[0] == "error"
