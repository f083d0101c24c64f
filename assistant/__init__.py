"""jixiao (绩效): an offline assistant for drafting 项目支出绩效目标表."""

__version__ = "0.1.0"
