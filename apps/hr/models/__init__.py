from apps.hr.models.calendars import Holiday
from apps.hr.models.contracts import Contract, ContractEvent
from apps.hr.models.employees import Employee, EmployeeDocument
from apps.hr.models.leave import LeaveAllowance, LeaveRequest, LeaveType
from apps.hr.models.org import Department, WorkCentre
from apps.hr.models.payroll import PayrollRun, PayrollSettings, Payslip
from apps.hr.models.time import TimeRecord, TimeSheetSignoff
from apps.hr.models.training import TrainingCourse, TrainingRecord, TrainingRequirement

__all__ = ["Contract", "ContractEvent", "Department", "Employee", "EmployeeDocument", "Holiday", "LeaveAllowance",
           "LeaveRequest", "LeaveType", "PayrollRun", "PayrollSettings", "Payslip", "TimeRecord", "TimeSheetSignoff",
           "TrainingCourse", "TrainingRecord", "TrainingRequirement", "WorkCentre"]
