"""Pure extraction from a mail's text: which opt-out purposes it names (``purposes``), what a
correction asks to change (``changes``), and signs that the data is about a child under 16
(``child``). Phrases live per language in ``data/*.toml``; nothing here touches the store."""
