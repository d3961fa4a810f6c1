"""Leave and be forgotten (/account/delete): a member erases their data from one group or
erases their whole account. Service in service.py, the parts it touches in content.py and
personal.py, the pages in views.py."""
