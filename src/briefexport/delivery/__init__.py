"""Delivery: rendered bytes -> files and email.

Atomic writes (`output`), rendering a set of formats with the size budget
(`bundle`), the manifest of what went out (`manifest`), and the email draft
and SMTP sending (`mail`, `mail_body`).  It calls `backends` through the
registry and is called only by the shell (`cli`, `batch`).
"""
