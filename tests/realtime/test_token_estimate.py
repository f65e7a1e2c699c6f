"""The token estimate counts high for every writing system: never below the simulator's stand-in
for the API's tokenizer, so a history the app measured is never refused for its length."""

import random

from voice_app.realtime.token_estimate import estimated_tokens
from voice_app.simulator.events import tokens_of as simulator_tokens

SCRIPTS = {
    "english": "The quick brown fox jumps over the lazy dog, 42 times! ",
    "code": "def f(x): return {'a': [1, 2, 3]}[x] # ok\n",
    "chinese": "我们今天下午去公园散步，天气很好。你觉得怎么样？",
    "japanese": "こんにちは、今日はいい天気ですね。カタカナも書きます。",
    "korean": "안녕하세요, 오늘 날씨가 좋네요.",
    "russian": "Привет, как дела? Всё хорошо.",
    "arabic": "مرحبا، كيف حالك اليوم؟",
    "hindi": "नमस्ते, आप कैसे हैं?",
    "thai": "สวัสดีครับ วันนี้อากาศดี",
    "emoji": "👍🙂🎉👨‍👩‍👧 ",
    "rare_cjk": "𠀀𠀁𪚥㐀㐁",
}


def test_each_script_is_counted_at_least_as_the_simulator_counts_it():
    rng = random.Random(25)
    pool = "".join(SCRIPTS.values())
    for _ in range(2000):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 60)))
        assert estimated_tokens(text) >= simulator_tokens(text), text
    for text in SCRIPTS.values():
        assert estimated_tokens(text * 50) >= simulator_tokens(text * 50)


def test_what_cannot_be_known_is_counted_at_its_worst():
    assert estimated_tokens("") == 0 and estimated_tokens("abc") == 1 and estimated_tokens("字") == 1
    assert estimated_tokens("我们今天去公园") == 7  # a token a character: about what tokenizers take
    assert estimated_tokens("🙂") == 4 and estimated_tokens("𠀀") == 4  # beyond the BMP: its UTF-8 bytes
    assert estimated_tokens("नमस्ते") == 6 * 3  # an Indic script: its UTF-8 bytes
    assert estimated_tokens("2026-11-24") == 10  # digits and punctuation split: a token each
