"""Running real Rasa Open Source 3.6 from the service side: environment, training, process, HTTP client."""
