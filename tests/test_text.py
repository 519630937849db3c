from dashboard.text import clean, fold, fold_key, matches_search, slug


def test_clean_strips_markup() -> None:
    assert clean("<b>I</b>") == "I"
    assert clean("<p>Giám đốc Sở Y tế</p>") == "Giám đốc Sở Y tế"
    assert clean("**Phụ lục II**  ") == "Phụ lục II"
    assert clean("## **II. MỤC TIÊU**") == "II. MỤC TIÊU"
    assert clean("$\\geq 70$") == "≥ 70"
    assert clean("<i>Cấp tỉnh</i>") == "Cấp tỉnh"
    assert clean("a &amp; b") == "a & b"


def test_fold_keeps_length_and_drops_accents() -> None:
    s = "Chuyển đổi số ĐỒNG THÁP"
    assert fold(s) == "chuyen doi so dong thap"
    assert len(fold(s)) == len(s)


def test_accent_insensitive_search() -> None:
    assert matches_search("Đẩy mạnh chuyển đổi số", "chuyen doi so")
    assert matches_search("Đẩy mạnh chuyển đổi số", "CHUYỂN ĐỔI")
    assert not matches_search("Cải cách hành chính", "chuyen doi so")
    assert matches_search("anything", "")


def test_keys() -> None:
    assert fold_key("Sở KH&CN") == "so kh va cn"
    assert slug("Thái Nguyên") == "thai-nguyen"
