"""Custom Rasa actions, served by the assistant service's /webhook (rasa-sdk ActionExecutor)."""
