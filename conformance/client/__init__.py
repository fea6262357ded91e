"""Reaching a target: credentials, the SDK client matrix, and the wire tap that sees every exchange.

Below `checks` and `outcome` in the data flow: clients produce exchanges, the tap hands them on.
"""
