# The learning space: courses, quizzes, certifications.
learning-title = Learning
learning-intro = Courses to read at your pace, with quizzes; an exam passed grants its certification.
learning-catalogue = Courses
learning-empty = No course yet. An administrator imports them, or the built-in ones arrive with the workspace.
learning-progress = { $done } of { $total } done
learning-certified-until = Certified until { $date }
learning-certifies = Its exam grants a certification
learning-import-title = Import a course
learning-import-intro = Paste a course document (Markdown with a front matter, modules and quizzes). It is checked as a whole: nothing is imported while a problem remains.
learning-import-failed = The course was not imported. Fix these problems:
learning-source = Course document
learning-key = Key (optional)
learning-key-hint = Pairs the French and English versions and names the course in prerequisites (certified:key). Made from the title when left empty.
learning-import-submit = Import
learning-imported = Course imported.
learning-unchanged = This document is the course's latest version already: nothing changed.
learning-start = Start the course
learning-resume = Resume
learning-export = Export
learning-complete = Course complete: every module read and its exam passed.
learning-modules = Modules
learning-has-quiz = with a quiz
learning-module-done = done
learning-module-position = Module { $n } of { $total }
learning-media = Media
learning-module-quiz = This module ends with a quiz: { $quiz }.
learning-to-quiz = I have read it — take the quiz
learning-read-next = I have read it — next
learning-next = Next
learning-questions = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
learning-pass-mark = pass mark { $mark }%
learning-attempts-left = { $count ->
    [one] { $count } attempt left
   *[other] { $count } attempts left
}
learning-exam-closed = The exam opens once every module is done.
learning-no-attempt-left = No attempt left for this version of the course. An administrator can record your certification with a reason, or publish a new version.
learning-attempt-submitted = This attempt was already submitted: its answers are kept as they were.
learning-exam-start = Take the exam
learning-exam-resume = Resume the exam
learning-attempts = Your attempts
learning-score = { $score }%
learning-passed = passed
learning-failed = not passed
learning-true = True
learning-false = False
learning-result = { $right } right out of { $asked }: { $score }%.
learning-quiz-passed = Passed.
learning-quiz-failed = Not passed.
learning-next-module = Next module
learning-back-to-course = Back to the course
learning-quiz-errors = { $count ->
    [one] One question needs an answer (see below). Your other answers are kept.
   *[other] { $count } questions need an answer (see below). Your other answers are kept.
}
learning-your-answer = Your answer
learning-right-option = (right answer)
learning-several = Tick every right answer.
learning-answer-right = Right.
learning-answer-wrong = Wrong.
learning-submit = Submit my answers
error-quiz-unanswered = Answer this question.
error-quiz-answer = This answer is not one of the question's options.
error-language = Choose French (fr) or English (en).
certification-expiring-subject = Your certification “{ $course }” expires soon
certification-expiring-intro = Your certification “{ $course }” is valid until { $date }. To keep it, pass the exam of the course's current version again.
certification-expiring-days = { $count ->
    [one] It expires tomorrow.
   *[other] It expires in { $count } days.
}
certification-expiring-action = Open the course
certification-expired-subject = Your certification “{ $course }” expired
certification-expired-intro = Your certification “{ $course }” expired. These kick-offs, not started yet, wait for it again:
certification-expired-renew = Pass the course's exam again: their prerequisite closes by itself.
learning-report = Report
learning-report-title = Report: { $course }
learning-report-csv = Download as CSV
learning-report-figures = Figures
learning-report-learners = Learners
learning-report-completed = Completed
learning-report-pass-rate = Passed the exam
learning-report-average = Average best score
learning-report-median = Median time to complete
learning-report-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
learning-report-none = Nobody has started this course yet.
learning-report-col-learner = Learner
learning-report-col-attempts = Exam attempts
learning-report-col-best = Best score
learning-report-col-passed = Passed on
learning-report-col-status = Status
learning-report-done = completed
learning-report-in-progress = in progress
learning-percent = { $value }%
home-renew-certification = Renew your certification “{ $course }”
home-certification-expired = Your certification “{ $course }” expired
home-renew-how = Pass the course's exam again
home-certification-until = valid until { $date }
home-continue-course = Continue the course “{ $course }”
home-take-course = Take the course “{ $course }”
error-course-unknown = Choose one of the workspace's courses.
error-course-due = Give a date like 2027-06-30, or leave it empty.
error-course-due-past = Give a date that is not past, or leave it empty.
error-course-inactive = This account is deactivated: reactivate it first.
user-courses-title = Courses
user-courses-none = No course assigned.
user-course-assign = Assign a course
user-course = Course
user-course-due = To complete by (optional)
user-course-assigned = Course assigned; it shows on their home until complete.
user-course-line = { $course }: { $progress }
user-course-line-due = { $course }: { $progress }, to complete by { $date }
learning-empty-assigned = No course is assigned to you yet. When one is, it shows here and on your home.
