"""The Azure Speech engine, used when a key is configured: transcription and pronunciation assessment.

The SDK is imported on first use (``transcription._sdk``), so importing this package costs nothing.
"""
