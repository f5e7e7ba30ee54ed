"""Settings split base / local / production / test; every value comes from the environment."""
