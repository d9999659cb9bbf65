"""Melodies: corpus arrays, event encoding, MIDI and audio in/out, baselines and continuation."""
