"""`psea-desk COMMAND ...` builds only the parsers of the module that registers COMMAND (start-up, issue
14). What a user sees must not change: each module names its commands truly (`COMMANDS`), and every
command's help and usage errors read the same as with every module's parsers built."""

from __future__ import annotations

import argparse
import contextlib
import io

import pytest

from desktop import cli


def _names(module) -> list[str]:  # noqa: ANN001 - a command module
    parser = argparse.ArgumentParser()
    module.register(parser.add_subparsers())
    return list(parser._subparsers._group_actions[0].choices)  # noqa: SLF001 - argparse keeps them there


def _subcommands(module, command: str) -> list[str]:  # noqa: ANN001
    parser = cli.build_parser([module])
    top = parser._subparsers._group_actions[0].choices[command]  # noqa: SLF001
    if top._subparsers is None:  # noqa: SLF001
        return []
    return list(top._subparsers._group_actions[0].choices)  # noqa: SLF001


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> tuple[object, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = parser.parse_args(argv)
            result: object = sorted((k, str(v)) for k, v in vars(args).items() if k != "func")
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


def test_each_module_names_the_commands_it_registers() -> None:
    seen: list[str] = []
    for module in cli.command_modules():
        assert list(module.COMMANDS) == _names(module), module.__name__
        seen += module.COMMANDS
    assert len(seen) == len(set(seen))


CASES = [(module, command, sub) for module in cli.command_modules() for command in module.COMMANDS
         for sub in [None, *_subcommands(module, command)]]


@pytest.mark.parametrize(("module", "command", "sub"), CASES,
                         ids=[f"{c} {s or ''}".strip() for _m, c, s in CASES])
def test_a_commands_help_and_errors_are_those_of_the_whole_parser(module, command: str, sub: str | None) -> None:  # noqa: ANN001
    whole, own = cli.build_parser(), cli.build_parser([module])
    words = [command] if sub is None else [command, sub]
    for argv in (words + ["--help"], words + ["--no-such-option"], words, ["--language", "fr", *words, "--help"]):
        assert _parse(own, argv) == _parse(whole, argv), argv


def test_the_help_of_psea_desk_itself_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["-h", "roster"], ["--help", "region"], ["--language", "en", "-h", "gui"], ["--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        out = capsys.readouterr().out
        assert all(name in out for name in ("roster", "partners", "region", "verify", "gui", "restore")), argv


def test_a_word_that_is_no_command_is_answered_by_the_whole_parser(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["rooster", "stats"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "rooster" in err and "roster" in err and "partners" in err   # argparse lists the choices
