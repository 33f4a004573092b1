"""Children's data on request and on a clock: deleting a recording or an account, exporting a
student's data, and purging what is past its retention.

deletion.py (a session, an account), export.py (the zip of a student's data).
Services only: they change the session and the store and never commit; the routes that call
them live beside the pages of the people who ask (app/student, app/teacher, app/school).
"""
