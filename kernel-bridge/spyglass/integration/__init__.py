"""Integrations with training frameworks (Keras, XGBoost, LightGBM, scikit-learn, Lightning, Transformers).

Each submodule imports its framework when it is imported itself, so `import spyglass` loads none of them.
"""
