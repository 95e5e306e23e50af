"""The annual management letter: allegations register, letter model, composition, rendering, signing flow."""
