"""The offline engine: faster-whisper transcription and the pocketsphinx + Whisper pronunciation assessor.

``transcription.LocalWhisperEngine`` (with ``chunking``) transcribes; ``pronunciation.
LocalPronunciationAssessor`` scores a reading from its ``pron_*`` parts (alignment, G2P,
goodness of pronunciation, miscues, prosody, fluency). Callers get them through
``app.analysis.engines.get_engine`` / ``get_assessor``.
"""
