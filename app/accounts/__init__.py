"""Accounts: users, login and logout, passwords, language."""
