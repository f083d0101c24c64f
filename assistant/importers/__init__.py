"""Importers: published text layout, flat CSV/XLSX, JSON → TargetTable."""
