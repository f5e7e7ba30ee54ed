from django import template

register = template.Library()


@register.simple_tag
def cell(table: dict, letter: str, number: int):
    return table.get("cells", {}).get(f"{letter}{number}")


@register.simple_tag
def address(letter: str, number: int) -> str:
    return f"{letter}{number}"


@register.filter
def has_column_a(table: dict) -> bool:
    return any(c[0] == "A" for c in table.get("columns", []))
