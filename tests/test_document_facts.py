"""Document facts from printed lines (pipelines.extraction.facts), on lines placed by hand: a cover caption wrapped
over lines, and a name cut short that the table captions print in full."""

import pytest

from pipelines.extraction.facts import FactPatterns, pages_to_facts
from pipelines.extraction.pages import PageContent, TextLine
from pipelines.extraction.settings import SEED_DIR

PATTERNS = FactPatterns.load(SEED_DIR)
TITLE = TextLine(1, "上海市黄浦区 2025 年区级部门预算", 220, 242, 128, 467)
# 22 pt, centred: Writer wraps the caption after 万里街 and centres the rest under it.
CAPTION = TextLine(1, "预算主管部门：上海市黄浦区人民政府万里街", 258, 280, 78, 518)
REST = TextLine(1, "道办事处", 286, 308, 254, 342)
FULL = "上海市黄浦区人民政府万里街道办事处"


def facts(cover: list[TextLine], *later_pages: list[str]):
    pages = [PageContent(1, cover, [])]
    pages += [PageContent(n, [TextLine(n, text, 100 + 20 * i, 111 + 20 * i, 71, 521) for i, text in enumerate(lines)], [])
              for n, lines in enumerate(later_pages, start=2)]
    return pages_to_facts(pages, [], "budget.pdf", PATTERNS)


def test_a_wrapped_cover_caption_is_read_whole():
    read = facts([TITLE, CAPTION, REST])
    assert (read.entity_name, read.region, read.fiscal_year, read.scope) == (FULL, "上海市黄浦区", 2025, "department")


@pytest.mark.parametrize("rest", [
    TextLine(1, "道办事处", 286, 297, 254, 342),  # another size: not the same paragraph
    TextLine(1, "道办事处", 340, 362, 254, 342),  # a blank line's height below
    TextLine(1, "道办事处", 286, 308, 40, 560),  # wider than the line it would continue
    TextLine(2, "道办事处", 286, 308, 254, 342),  # another page
])
def test_a_line_that_does_not_continue_the_caption_is_not_joined(rest):
    assert facts([TITLE, CAPTION, rest]).entity_name == "上海市黄浦区人民政府万里街"


def test_a_complete_name_is_not_lengthened_by_the_line_under_it():
    caption = TextLine(1, "预算主管部门：上海市黄浦区财政局", 258, 280, 150, 446)
    under = TextLine(1, "上海市黄浦区审计局", 286, 308, 200, 396)
    assert facts([TITLE, caption, under]).entity_name == "上海市黄浦区财政局"


def test_a_complete_name_is_lengthened_where_the_document_prints_the_longer_one():
    caption = TextLine(1, "预算主管部门：上海市黄浦区人民政府", 258, 280, 78, 518)
    rest = TextLine(1, "万里街道办事处", 286, 308, 210, 386)
    assert facts([TITLE, caption, rest], [f"{FULL}是负责本区相关行政管理和公共服务工作的部门。"]).entity_name == FULL


def test_a_name_cut_short_is_completed_by_the_table_captions():
    """The continuation is lost (printed in another size), but every table's caption prints the whole name."""
    small = TextLine(1, "道办事处", 286, 297, 254, 342)
    read = facts([TITLE, CAPTION, small], [], [f"编制部门：{FULL} 单位：元"] * 3)
    assert read.entity_name == FULL
    assert read.sources["entity_name"] == "caption (completed by the captions)"


def test_a_complete_name_is_not_replaced_by_a_longer_caption():
    """A department's budget whose tables caption one of its units (…局机关) keeps the department's name."""
    caption = TextLine(1, "预算主管部门：上海市黄浦区财政局", 258, 280, 150, 446)
    assert facts([TITLE, caption], [], ["单位名称：上海市黄浦区财政局机关 单位：元"] * 3).entity_name == "上海市黄浦区财政局"


def test_a_name_cut_short_is_completed_by_the_entity_the_captions_name_most_not_by_one_of_its_units():
    small = TextLine(1, "道办事处", 286, 297, 254, 342)
    unit = f"单位名称：{FULL[:-3]}社区事务受理服务中心 单位：元"
    assert facts([TITLE, CAPTION, small], [], [unit] + [f"编制部门：{FULL} 单位：元"] * 3).entity_name == FULL
