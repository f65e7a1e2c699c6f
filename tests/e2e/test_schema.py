"""A plain `reflex run`, without `reflex db migrate` first, still saves every conversation."""

from playwright.sync_api import expect

from tests.e2e.conftest import running_app_process
from tests.e2e.test_history import history, typed_conversation

REBUILDS_FRONTEND = True  # its app rebuilds the shared `.web`: after the session's app is done


def test_the_backend_brings_the_schema_up_to_date_as_it_starts(browser, tmp_path):
    log = tmp_path / "app.log"
    with running_app_process(log, migrate=False) as (url, _process):
        assert (tmp_path / "conversations.db").exists()  # made by the app itself, before any page
        context = browser.new_context(permissions=["microphone"])
        page = context.new_page()
        page.goto(url)
        typed_conversation(page, "Saved without a migrate")
        expect(page.get_by_test_id("save-problem")).to_have_count(0)
        expect(history(page).filter(has_text="Saved without a migrate")).to_have_count(1)
        context.close()
    assert "could not be brought up to date" not in log.read_text()
