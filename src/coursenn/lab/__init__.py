"""Experiments of the chapters: one module per experiment that is not general library code.

Each module's first line names the chapter it serves. They use the network library
(:mod:`coursenn.nn`), the data sets, the training loop and the pictures; the library uses none
of them. Import the one a chapter needs::

    from coursenn.lab import zigzag
"""
