"""Showing the model an image mid-call: a file, a camera snapshot, a frame of a shared screen."""

from playwright.sync_api import expect

from tests.e2e.test_api_rules import WATCH_DATA_CHANNEL, sent
from tests.e2e.test_browser import connect, entries, hang_up, mute
from tests.e2e.test_server_hears import saved_conversation
from tests.pictures import png
from voice_app.realtime import images


def images_sent(page) -> list[str]:
    return [
        part["image_url"]
        for event in sent(page, "conversation.item.create")
        for part in event["item"].get("content", [])
        if part.get("type") == "input_image"
    ]


def in_a_call(page):
    page.add_init_script(WATCH_DATA_CHANNEL)
    page.reload()
    mute(page)  # no speech: the image's answer is the only one
    connect(page)


def test_a_chosen_file_reaches_the_session_scaled_shows_as_a_thumbnail_and_is_answered_and_saved(page, tmp_path, app_log):
    in_a_call(page)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png(1600, 900))
    page.get_by_test_id("image-input").set_input_files(str(photo))
    expect(page.get_by_test_id("image-thumbnail")).to_be_visible()
    [uri] = images_sent(page)
    assert uri.startswith("data:image/jpeg;base64,") and len(uri) <= images.MAX_IMAGE_CHARS
    assert images.image_size(uri) == (1024, 576)  # its long side scaled to the limit
    expect(entries(page).last).to_contain_text("I see an image of 1024×576 pixels", timeout=20_000)
    expect(page.get_by_test_id("image-tokens")).not_to_have_text("0")  # counted in the figures
    hang_up(page)
    _usage, texts = saved_conversation(app_log, page)
    assert texts[0] == "[image 1024×576]", texts  # saved by reference: its size, not its bytes


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_message(page, tmp_path):
    in_a_call(page)
    fake = tmp_path / "holiday.png"
    fake.write_bytes(b"this is not an image at all")
    page.get_by_test_id("image-input").set_input_files(str(fake))
    expect(page.get_by_test_id("notice")).to_have_text(images.UNREADABLE)
    assert images_sent(page) == []
    expect(page.get_by_test_id("image-thumbnail")).to_have_count(0)


def test_a_camera_snapshot_and_a_screen_frame_are_shown_to_the_model(browser, app_url):
    context = browser.new_context(permissions=["microphone", "camera"], viewport={"width": 900, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(app_url)
    try:
        in_a_call(page)
        page.get_by_test_id("camera-snapshot").click()
        expect(entries(page).last).to_contain_text("I see an image of", timeout=20_000)
        page.get_by_test_id("screen-frame").click()
        expect(page.get_by_test_id("image-thumbnail")).to_have_count(2, timeout=20_000)
        assert len(images_sent(page)) == 2 and all(images.image_size(uri) for uri in images_sent(page))
    finally:
        context.close()
