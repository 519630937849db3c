from dashboard.kpi.targets import Target, meets, parse_number, parse_target


def test_comparison_forms() -> None:
    assert parse_target("≥35") == Target(">=", 35)
    assert parse_target("$\\geq 70$") == Target(">=", 70)
    assert parse_target("<b>≥ 95</b>") == Target(">=", 95)
    assert parse_target("tối thiểu 80%") == Target(">=", 80)
    assert parse_target("trên 18%") == Target(">", 18)
    assert parse_target("≤ 90 ngày") == Target("<=", 90)


def test_bare_numbers_mean_reach_at_least() -> None:
    assert parse_target("100") == Target(">=", 100)
    assert parse_target("01") == Target(">=", 1)
    assert parse_target("05") == Target(">=", 5)


def test_source_typos() -> None:
    assert parse_target("Phấn đấu ≥ 09") == Target(">=", 9)
    assert parse_target("Phân đầu ≥ 80") == Target(">=", 80)
    assert parse_target("Phần đầu ≥ 80") == Target(">=", 80)


def test_no_number_is_no_target() -> None:
    assert parse_target("") is None
    assert parse_target("Hoàn thành") is None


def test_numbers() -> None:
    assert parse_number("95,5") == 95.5
    assert parse_number("1.234") == 1234
    assert parse_number("09") == 9


def test_meets() -> None:
    assert meets(80, Target(">=", 80)) is True
    assert meets(79.9, Target(">=", 80)) is False
    assert meets(85, Target("<=", 90)) is True
    assert meets(None, Target(">=", 80)) is None
