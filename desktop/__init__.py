"""The Qt desktop app: a thin layer of models, views and dialogs over db/ and exports/."""
