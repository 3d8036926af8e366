import pytest
from django.core.exceptions import ImproperlyConfigured

from jobhelp.core.env import env_bool, env_choice, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("1", True), ("Yes", True), ("false", False), ("0", False), ("", False)],
)
def test_env_bool_accepts_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", not expected) is expected


@pytest.mark.parametrize(("parser", "raw"), [(env_bool, "ture"), (env_int, "ten"), (env_int, "-1")])
def test_bad_values_stop_the_process_with_the_variable_named(monkeypatch, parser, raw):
    monkeypatch.setenv("SETTING", raw)
    kwargs = {"minimum": 0} if parser is env_int else {}
    with pytest.raises(ImproperlyConfigured, match="SETTING"):
        parser("SETTING", 1, **kwargs)


def test_env_list_and_choice(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example.org, ,b.example.org ")
    monkeypatch.setenv("MAIL_BACKEND", "carrier-pigeon")
    assert env_list("HOSTS", []) == ["a.example.org", "b.example.org"]
    with pytest.raises(ImproperlyConfigured, match="MAIL_BACKEND"):
        env_choice("MAIL_BACKEND", "smtp", {"smtp", "console"})
