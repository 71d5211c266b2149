"""One module per form: its `FormValidationAction` and the actions that ask and submit."""
