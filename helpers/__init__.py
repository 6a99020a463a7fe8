"""“两新”组织党组织书记培训练习册的全部逻辑。

The package is layered; each layer imports only the ones before it:
``content`` (bank schema, loading, validation) → ``engine`` (grading, audit scoring,
regulation rules; pure functions) → ``store`` (database) → ``ui`` (ipywidgets) →
``apps`` (command line, serving).  ``helpers.quiz``, ``helpers.audit`` and
``helpers.rules`` are the stable public entry points the notebooks and tests use.
"""
