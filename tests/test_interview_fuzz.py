"""Whatever a person types, the engine answers with a Turn (understood, or re-asked)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.interview import Interview
from assistant.interview.parse import parse_activities
from assistant.interview.schema import load_prompts
from assistant.search import SearchEngine

TYPES = load_prompts().activity_types
# characters people actually type here: digits, Chinese numerals and units, punctuation
ALPHABET = st.sampled_from(
    list(
        "0123456789０１２.,，、；;：:/／%％≥≤<>元万千百十两一二三四五六七八九零〇"
        "期人天次台套项份每共计单价标准培训买调研第年月日前 \n"
    )
)
TEXT = st.text(ALPHABET, max_size=30) | st.text(max_size=20)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_activity_parser_never_crashes(text):
    for act in parse_activities(text, TYPES):
        if act.complete:
            assert act.subtotal() is not None
            act.quantity_value(), act.cost_value()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(TEXT, min_size=1, max_size=25))
def test_any_sequence_of_answers_gives_turns(answers):
    iv = Interview(searcher=SearchEngine(precedents=[], semantic=False), autosave=False)
    for text in answers:
        before = iv.current()
        turn = iv.answer(text)
        if not turn.ok and before is not None:
            assert turn.reask and "例如" in turn.reask or turn.reask.startswith("这个问题")
            assert turn.next == iv.current()


HEADER = ["测试项目名称", "乡村振兴局", "监测评估中心", "", "", "2024", "", "6万", "", "", "起草"]


@settings(max_examples=40, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=25))
def test_activities_follow_ups_and_slots_take_any_text(answers):
    iv = Interview(searcher=SearchEngine(precedents=[], semantic=False), autosave=False)
    for text in HEADER:
        assert iv.answer(text).ok
    for text in ["举办培训班；买电脑"] + answers:
        before = iv.current()
        turn = iv.answer(text)
        assert turn.ok or (before is not None and turn.reask and turn.next == iv.current())
